/// <reference types="vitest/config" />
import { fileURLToPath } from 'node:url'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'
import { BUILD_TARGET } from './build/browsers.ts'
import { precompress } from './build/precompress.ts'

const backend = 'http://127.0.0.1:8080'
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url))

// The dev server answers the phone pages' routes (/m, /m/scan, …) with their
// own page, as the Go server does (internal/api/webapp.go).
function phonePages(): Plugin {
  return {
    name: 'lianxin-phone-pages',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && /^\/m(?:\/[^.?]*)?(?:\?.*)?$/.test(req.url)) req.url = '/m/index.html'
        next()
      })
    },
  }
}

export default defineConfig({
  base: '/',
  plugins: [vue(), phonePages(), precompress()],
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/healthz': { target: backend },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    // the browsers named in README (build/browsers.ts); es-check holds the output to them
    target: BUILD_TARGET,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      // Two pages: the staff app (index.html) and the members' phone pages
      // (m/index.html), which share Vue and a few small modules but never
      // Element Plus.
      input: { index: here('index.html'), m: here('m/index.html') },
      output: {
        // Element Plus and Vue change rarely: keep them in their own chunks so
        // that an app change does not invalidate them in the browser cache.
        // Vue is taken first: Element Plus's group would otherwise take Vue
        // along as its dependency, and the phone pages with it.
        codeSplitting: {
          groups: [
            { name: 'vue', test: /node_modules[\\/](vue|@vue|vue-router)[\\/]/, priority: 2 },
            {
              name: 'element-plus',
              test: /node_modules[\\/](element-plus|@element-plus|@floating-ui|@popperjs|@sxzz|@ctrl|async-validator|lodash|lodash-es|lodash-unified|memoize-one|normalize-wheel-es|@vueuse|dayjs)[\\/]/,
              priority: 1,
            },
          ],
        },
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'build/**/*.test.ts'],
    environment: 'node',
  },
})
