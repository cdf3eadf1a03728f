import { protocolSuite } from '../../harness/protocol-suite';
import { httpsCases } from './cases/https';

protocolSuite('https', httpsCases);
