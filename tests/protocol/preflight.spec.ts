import { protocolSuite } from '../../harness/protocol-suite';
import { preflightCases } from './cases/preflight';

protocolSuite('preflight', preflightCases);
