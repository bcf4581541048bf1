import { defineConfig } from 'vite';

// The ResolutionFlow demo server (npm start) on 8787. In production, /rf-token is your own
// backend's endpoint (see examples/host-backend); here it is proxied to the demo's token route.
const RF = process.env.RF_API ?? 'http://127.0.0.1:8787';

export default defineConfig({
  server: {
    proxy: {
      '/rf-token': { target: RF, rewrite: () => '/demo/token?persona=sam' },
    },
  },
  define: { __RF_API__: JSON.stringify(RF) },
});
