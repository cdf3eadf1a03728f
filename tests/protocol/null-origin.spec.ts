import { protocolSuite } from '../../harness/protocol-suite';
import { nullOriginCases } from './cases/null-origin';

protocolSuite('null-origin', nullOriginCases);
