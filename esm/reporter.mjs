// The ESM entry of cors-conform/reporter: the reporter class as the default export. (An ESM import
// of the CommonJS build would give the module object, whose `default` is the class.)
import reporter from '../dist/reports/matrix-reporter.js';

export default reporter.default;
