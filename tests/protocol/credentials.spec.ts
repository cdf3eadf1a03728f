import { protocolSuite } from '../../harness/protocol-suite';
import { credentialsCases } from './cases/credentials';

protocolSuite('credentials', credentialsCases);
