import { protocolSuite } from '../../harness/protocol-suite';
import { redirectCases } from './cases/redirects';

protocolSuite('redirects', redirectCases);
