import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { compressed, MIN_BYTES, precompressDir } from './precompress.ts'

const text = (n: number) => Buffer.from('const 两新党建 = "lianxin";\n'.repeat(Math.ceil(n / 20))).subarray(0, n)

describe('precompress', () => {
  const dirs: string[] = []
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

  it('compresses text files to brotli and gzip that decompress to the original', () => {
    const data = text(20_000)
    const c = compressed('assets/app-x1.js', data)
    expect(c.br && c.gz).toBeTruthy()
    expect(c.br!.length).toBeLessThan(data.length)
    expect(brotliDecompressSync(c.br!).equals(data)).toBe(true)
    expect(gunzipSync(c.gz!).equals(data)).toBe(true)
  })

  it('leaves small files and images alone', () => {
    expect(compressed('assets/a.js', text(MIN_BYTES - 1))).toEqual({})
    expect(compressed('assets/logo.png', text(20_000))).toEqual({})
    expect(compressed('assets/font.woff2', text(20_000))).toEqual({})
  })

  it('gives the same bytes on every machine: no time, the OS byte fixed', () => {
    const data = text(5000)
    const a = compressed('index.html', data)
    const b = compressed('index.html', Buffer.from(data))
    expect(a.gz!.equals(b.gz!)).toBe(true)
    expect(a.br!.equals(b.br!)).toBe(true)
    expect(a.gz!.readUInt32LE(4)).toBe(0) // MTIME
    expect(a.gz![9]).toBe(255) // OS: unknown
  })

  it('writes NAME.br and NAME.gz beside each file of a directory, not of the copies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'precompress-'))
    dirs.push(dir)
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'assets', 'a.js'), text(4000))
    writeFileSync(join(dir, 'assets', 'a.css'), text(3000))
    writeFileSync(join(dir, 'tiny.html'), 'x')
    const t = precompressDir(dir)
    expect(t.files).toBe(2)
    for (const f of ['assets/a.js', 'assets/a.css']) {
      const orig = readFileSync(join(dir, f))
      expect(brotliDecompressSync(readFileSync(join(dir, `${f}.br`))).equals(orig)).toBe(true)
      expect(gunzipSync(readFileSync(join(dir, `${f}.gz`))).equals(orig)).toBe(true)
    }
    expect(existsSync(join(dir, 'tiny.html.br'))).toBe(false)
    // run again: the copies are not compressed themselves
    expect(precompressDir(dir).files).toBe(2)
    expect(existsSync(join(dir, 'assets', 'a.js.br.br'))).toBe(false)
  })
})
