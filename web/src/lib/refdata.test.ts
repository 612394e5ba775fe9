import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as refdata from './refdata'
import { employeeBandOf, employeeBands, industries, nameOf, orgFlags, orgStatuses } from './refdata'

// The Go source these lists mirror (absent when web/ is built on its own).
const goFile = join(dirname(fileURLToPath(import.meta.url)), '../../../internal/domain/refdata.go')

/** The CodeLists of refdata.go by Go name, constants resolved. */
function parseGo(src: string): Record<string, [string, string][]> {
  const consts: Record<string, string> = {}
  for (const m of src.matchAll(/^\s*(\w+)\s*=\s*"([^"]*)"\s*$/gm)) consts[m[1]] = m[2]
  const out: Record<string, [string, string][]> = {}
  for (const m of src.matchAll(/var (\w+) = CodeList\{([\s\S]*?)\n\}/g)) {
    out[m[1]] = [...m[2].matchAll(/\{\s*("([^"]*)"|(\w+))\s*,\s*"([^"]*)"\s*\}/g)].map((e) => {
      const code = e[2] ?? consts[e[3]]
      if (code === undefined) throw new Error(`unknown constant ${e[3]}`)
      return [code, e[4]]
    })
  }
  return out
}

describe('refdata mirrors internal/domain/refdata.go', () => {
  it.skipIf(!existsSync(goFile))('has every list with the same codes, names and order', () => {
    const lists = parseGo(readFileSync(goFile, 'utf8'))
    expect(Object.keys(lists).length).toBeGreaterThanOrEqual(13)
    for (const [goName, entries] of Object.entries(lists)) {
      const tsName = goName[0].toLowerCase() + goName.slice(1)
      const mine = (refdata as unknown as Record<string, refdata.CodeList | undefined>)[tsName]
      expect(mine, `refdata.ts lacks ${tsName}`).toBeDefined()
      expect(mine!.map((c) => [c.code, c.name]), goName).toEqual(entries)
    }
  })

  it('has the lists the registry needs', () => {
    expect(industries.map((c) => c.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST')
    expect(orgStatuses[0]).toEqual({ code: 'active', name: '存续/在业' })
    expect(orgFlags).toHaveLength(10)
    expect(employeeBands).toHaveLength(6)
  })
})

describe('nameOf', () => {
  it('names codes, keeps unknown ones', () => {
    expect(nameOf(industries, 'G')).toBe('交通运输、仓储和邮政业')
    expect(nameOf(orgStatuses, 'nope')).toBe('nope')
    expect(nameOf(orgStatuses, '')).toBe('')
    expect(nameOf(orgStatuses, null)).toBe('')
  })
})

describe('employeeBandOf', () => {
  it('matches the server cuts', () => {
    expect(employeeBandOf(0)).toBe('lt10')
    expect(employeeBandOf(9)).toBe('lt10')
    expect(employeeBandOf(10)).toBe('10_49')
    expect(employeeBandOf(49)).toBe('10_49')
    expect(employeeBandOf(50)).toBe('50_99')
    expect(employeeBandOf(299)).toBe('100_299')
    expect(employeeBandOf(300)).toBe('300_999')
    expect(employeeBandOf(1000)).toBe('1000_plus')
    expect(employeeBandOf(-1)).toBe('')
    expect(employeeBandOf(null)).toBe('')
  })
})
