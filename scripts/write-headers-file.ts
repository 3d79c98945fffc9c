// Writes public/_headers (security headers for static hosts) from scripts/securityHeaders.ts.
import { writeFileSync } from 'node:fs';
import { connectOriginsFromEnv, staticHostHeadersFile } from './securityHeaders';

writeFileSync('public/_headers', staticHostHeadersFile(connectOriginsFromEnv(process.env)));
console.log('wrote public/_headers');
