import { protocolSuite } from '../../harness/protocol-suite';
import { methodCases } from './cases/methods';

protocolSuite('methods', methodCases);
