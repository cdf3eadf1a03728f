import { protocolSuite } from '../../harness/protocol-suite';
import { allowOriginCases } from './cases/allow-origin';

protocolSuite('allow-origin', allowOriginCases);
