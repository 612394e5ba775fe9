// Every text asset of the build is written beside itself compressed, as
// NAME.br (brotli, quality 11) and NAME.gz (gzip, level 9), so that the Go
// server sends the smaller one the browser accepts without compressing
// anything per request (internal/api/webapp.go). Node's zlib does both: no
// dependency. The output depends only on the input, so a rebuild of web/dist
// gives the same bytes.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin } from 'vite'

/** The files worth compressing: text, by extension. Images and fonts are compressed already. */
export const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|txt|xml|map|wasm)$/
/** Below this a compressed copy saves less than a request's headers cost. */
export const MIN_BYTES = 1024

/** GZIP header byte 9 names the compressing machine's OS; 255 (unknown) keeps a build on any OS identical. */
const GZIP_OS_BYTE = 9

export function brotli(data: Buffer): Buffer {
  return brotliCompressSync(data, {
    params: {
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  })
}

export function gzip(data: Buffer): Buffer {
  const out = gzipSync(data, { level: constants.Z_BEST_COMPRESSION })
  out[GZIP_OS_BYTE] = 255
  return out
}

/** The compressed copies of one file's content, each only when it is smaller. */
export function compressed(name: string, data: Buffer): { br?: Buffer; gz?: Buffer } {
  if (!COMPRESSIBLE.test(name) || data.length < MIN_BYTES) return {}
  const out: { br?: Buffer; gz?: Buffer } = {}
  const br = brotli(data)
  if (br.length < data.length) out.br = br
  const gz = gzip(data)
  if (gz.length < data.length) out.gz = gz
  return out
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    return e.isDirectory() ? files(p) : e.isFile() ? [p] : []
  })
}

export interface Totals {
  files: number
  bytes: number
  br: number
  gz: number
}

/** Writes NAME.br and NAME.gz beside every compressible file under dir. */
export function precompressDir(dir: string): Totals {
  const t: Totals = { files: 0, bytes: 0, br: 0, gz: 0 }
  for (const path of files(dir).sort()) {
    if (path.endsWith('.br') || path.endsWith('.gz')) continue
    const data = readFileSync(path)
    const c = compressed(relative(dir, path), data)
    if (!c.br && !c.gz) continue
    t.files++
    t.bytes += data.length
    if (c.br) {
      writeFileSync(`${path}.br`, c.br)
      t.br += c.br.length
    }
    if (c.gz) {
      writeFileSync(`${path}.gz`, c.gz)
      t.gz += c.gz.length
    }
  }
  return t
}

/** The Vite plugin: compress the output directory once it is written. */
export function precompress(): Plugin {
  return {
    name: 'lianxin-precompress',
    apply: 'build',
    writeBundle(options) {
      const dir = options.dir
      if (!dir || !statSync(dir).isDirectory()) return
      const t = precompressDir(dir)
      const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`
      this.info(`precompressed ${t.files} files: ${kb(t.bytes)} → brotli ${kb(t.br)}, gzip ${kb(t.gz)}`)
    },
  }
}
