import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { BUILD_TARGET } from './browsers.ts'

// es-check reads package.json's browserslist, Vite build/browsers.ts: one list.
describe('supported browsers', () => {
  it('package.json browserslist names the build target', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { browserslist: string[] }
    const names: Record<string, string> = { chrome: 'chrome', edge: 'edge', safari: 'safari', ios_saf: 'ios' }
    const fromList = pkg.browserslist.map((q) => {
      const m = /^(\w+) >= ([\d.]+)$/.exec(q)
      expect(m, q).not.toBeNull()
      return `${names[m![1]]}${m![2]}`
    })
    expect(fromList.sort()).toEqual([...BUILD_TARGET].sort())
  })

  it('the escheck config checks every built file against that list', () => {
    const configs = JSON.parse(readFileSync(new URL('../.escheckrc', import.meta.url), 'utf8')) as Array<Record<string, unknown>>
    for (const c of configs) {
      expect(c.checkBrowser).toBe(true)
      expect(c.checkFeatures).toBe(true)
      expect(c.browserslistQuery).toBeUndefined()
    }
    expect(configs.map((c) => c.files)).toContain('dist/**/*.js')
  })
})
