import { protocolSuite } from '../../harness/protocol-suite';
import { exposeHeaderCases } from './cases/expose-headers';

protocolSuite('expose-headers', exposeHeaderCases);
