import { protocolSuite } from '../../harness/protocol-suite';
import { preflightCacheCases } from './cases/preflight-cache';

protocolSuite('preflight-cache', preflightCacheCases);
