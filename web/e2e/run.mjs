// Browser tests of the admin web app against a running lianxin server.
//
//   LIANXIN_URL=http://127.0.0.1:18080 LIANXIN_DEMO_PASSWORD=... node e2e/run.mjs [feature ...]
//
// Drives Debian's chromium through playwright-core. With no feature named it runs
// every file of tests/ in the order of FEATURES; with names (`node e2e/run.mjs
// coverage alerts`) only those, each after the features it needs. `--list` prints
// the names of the features it would run. Prints "ok - name" or "not ok - name" per scenario, then
// "N passed, M failed"; exits 1 on any failure, 2 on a wrong invocation.
// Screenshots of failures go to e2e/out/. With LIANXIN_E2E_SHOTS=1 it also saves
// screenshots of the main pages at desktop and phone sizes.
import { mkdirSync } from 'node:fs'
import { closeBrowser, launch } from './lib/browser.mjs'
import { OUT, PASSWORD } from './lib/env.mjs'
import { counts } from './lib/report.mjs'

// One file per feature, tests/<name>.mjs, exporting run(). Each starts from a fresh
// demo's data and what it creates itself, so it runs alone; a feature that reads what
// another leaves behind lists it in `needs`, and the runner runs that one first.
const FEATURES = [
  { name: 'login' }, // login, the scope of the tree, the audit of logins, the phone layout
  { name: 'registry' }, // Party orgs, 园区楼宇, 两新组织, 党员
  { name: 'coverage' }, // 两个覆盖
  { name: 'imports' }, // Excel import
  { name: 'activities' }, // 组织生活 and 三会一课台账
  { name: 'mobile' }, // the members' phone pages, check-in, 活动互认
  { name: 'phone' }, // the phone pages' own light bundle, compressed assets, who goes where
  { name: 'alerts' }, // 预警 and 待办
  { name: 'filings' }, // secretary filings and terms
  { name: 'lists' }, // the activity calendar at every level, 待办 by kind and urgency
  { name: 'totp' }, // the second login factor
  { name: 'admins' }, // the 三员
  { name: 'pii' }, // personal data
  { name: 'dayone' }, // 镇街社区, Party orgs from Excel, 党小组
  { name: 'chains' }, // 重点产业链, 链主, 党建情况统计
]

/** The features to run for the names asked, in FEATURES order, prerequisites included. */
function selected(names) {
  if (names.length === 0) return FEATURES
  const byName = new Map(FEATURES.map((f) => [f.name, f]))
  const want = new Set()
  const add = (name) => {
    const f = byName.get(name)
    if (!f) {
      console.error(`no feature "${name}"; the features are: ${FEATURES.map((x) => x.name).join(' ')}`)
      process.exit(2)
    }
    if (want.has(name)) return
    want.add(name)
    for (const n of f.needs ?? []) add(n)
  }
  names.forEach(add)
  return FEATURES.filter((f) => want.has(f.name))
}

const args = process.argv.slice(2)
const features = selected(args.filter((a) => a !== '--list'))
if (args.includes('--list')) {
  for (const f of features) console.log(f.name)
  process.exit(0)
}

if (!PASSWORD) {
  console.error('LIANXIN_DEMO_PASSWORD is not set')
  process.exit(2)
}
mkdirSync(OUT, { recursive: true })

await launch()
for (const f of features) {
  const { run } = await import(`./tests/${f.name}.mjs`)
  await run()
}
await closeBrowser()

const { passed, failed } = counts()
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
