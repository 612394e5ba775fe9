import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The phone pages are a page of their own (m/index.html → main.ts) so that a
// member's phone downloads no Element Plus: nothing they import, however
// indirectly, may reach the staff app's libraries or its Pinia store. A view
// that needs the member reads mobile/session.ts (phoneSession), not
// stores/session.ts. web/dist_test.go checks the built files likewise.

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const FORBIDDEN_PACKAGES = /^(element-plus|@element-plus\/|pinia$|echarts)/
const STAFF_ONLY = ['stores/', 'layouts/', 'views/', 'components/', 'main.ts', 'router.ts', 'App.vue']

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : /\.(ts|vue)$/.test(n) && !n.endsWith('.test.ts') ? [p] : []
  })
}

/** The modules a file imports for their code (type-only imports vanish from the build). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const out: string[] = []
  const re = /\bimport\s+(type\s+)?(?:[^'"();]*?\sfrom\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|\bexport\s+(type\s+)?[^'";]*?\sfrom\s+['"]([^'"]+)['"]/g
  for (const m of text.matchAll(re)) {
    if (m[1] || m[4]) continue
    out.push((m[2] ?? m[3] ?? m[5]) as string)
  }
  return out
}

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null
  const base = resolve(dirname(from), spec)
  for (const c of [base, `${base}.ts`, `${base}.vue`, join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c
  }
  throw new Error(`${relative(SRC, from)} imports ${spec}, which does not resolve`)
}

describe('the phone pages import nothing of the staff app', () => {
  it('from main.ts and every file of mobile/, directly or not', () => {
    const seen = new Set<string>()
    const queue = [join(SRC, 'mobile', 'main.ts'), ...files(join(SRC, 'mobile'))]
    const bad: string[] = []
    while (queue.length) {
      const f = queue.shift() as string
      if (seen.has(f)) continue
      seen.add(f)
      if (!f.endsWith('.ts') && !f.endsWith('.vue')) continue
      for (const spec of imports(f)) {
        if (FORBIDDEN_PACKAGES.test(spec)) bad.push(`${relative(SRC, f)} imports ${spec}`)
        const r = resolveImport(f, spec)
        if (!r) continue
        const rel = relative(SRC, r)
        if (STAFF_ONLY.some((p) => rel === p || rel.startsWith(p))) bad.push(`${relative(SRC, f)} imports ${rel}`)
        queue.push(r)
      }
    }
    expect(seen.size).toBeGreaterThan(10)
    expect(bad).toEqual([])
  })
})
