// A user's API: Express, CORS written by hand. CORS_MODE=good trusts one front end with
// cookies; CORS_MODE=bad echoes any Origin with credentials (the classic hole).
const express = require('express');

const APP = 'https://app.example.com';
const mode = process.env.CORS_MODE ?? 'good';
const app = express();

app.use((req, res, next) => {
  const origin = req.headers.origin;
  const trusted = mode === 'bad' ? origin !== undefined : origin === APP;
  res.setHeader('Vary', 'Origin');
  if (trusted) {
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id');
    if (req.method === 'OPTIONS') {
      res.setHeader('Access-Control-Allow-Methods', 'GET, PUT');
      res.setHeader('Access-Control-Allow-Headers', 'X-Api-Key');
      return res.status(204).end();
    }
  }
  next();
});
app.get('/health', (_req, res) => res.send('ok'));
app.all('/api/items', (_req, res) => res.setHeader('X-Request-Id', 'r-1').json([{ id: 1 }]));

app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
