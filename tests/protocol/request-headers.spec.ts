import { protocolSuite } from '../../harness/protocol-suite';
import { requestHeaderCases } from './cases/request-headers';

protocolSuite('request-headers', requestHeaderCases);
