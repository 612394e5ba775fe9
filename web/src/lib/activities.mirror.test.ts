import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { activityStatuses, activityTypes, attendanceKinds, checkinMethods, frequencies, periodStatuses, requirements } from './activities'

// The code lists of lib/activities.ts are copies of the domain's (the pages
// name codes before GET /meta answers); this keeps them in step.
const domainDir = join(dirname(fileURLToPath(import.meta.url)), '../../../internal/domain')
const read = (f: string) => readFileSync(join(domainDir, f), 'utf8')
const have = existsSync(join(domainDir, 'activity.go')) && existsSync(join(domainDir, 'compliance.go'))

/** Go constants of the form `Name Type = "code"`. */
function constants(src: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of src.matchAll(/^\s*(\w+)\s+(?:\w+\s+)?=\s+"([^"]*)"/gm)) out[m[1]] = m[2]
  return out
}

/** The entries `{string(Const), "名称"}` of `var name = CodeList{…}`. */
function codeList(src: string, name: string, consts: Record<string, string>): { code: string; name: string }[] {
  const block = new RegExp(`var ${name} = CodeList\\{([\\s\\S]*?)\\n\\}`).exec(src)
  if (!block) throw new Error(`no CodeList ${name}`)
  return [...block[1].matchAll(/\{string\((\w+)\),\s*"([^"]+)"\}|\{(\w+),\s*"([^"]+)"\}/g)].map((m) => ({
    code: consts[m[1] ?? m[3]] ?? m[1] ?? m[3],
    name: m[2] ?? m[4],
  }))
}

describe.skipIf(!have)('lib/activities mirrors internal/domain', () => {
  const act = have ? read('activity.go') : ''
  const comp = have ? read('compliance.go') : ''
  const consts = { ...constants(act), ...constants(comp) }
  it('has the activity types in the domain order', () => {
    const block = /var ActivityTypes = \[\]ActivityTypeInfo\{([\s\S]*?)\n\}/.exec(act)![1]
    const types = [...block.matchAll(/\{(\w+),\s*"([^"]+)",\s*(\w+|""),\s*(true|false)\}/g)].map((m) => ({
      code: consts[m[1]],
      name: m[2],
      counts: m[3] === '""' ? '' : consts[m[3]],
      multi_host: m[4] === 'true',
    }))
    expect(types).toHaveLength(14)
    expect(activityTypes).toEqual(types)
  })
  it('has the other code lists', () => {
    expect(activityStatuses).toEqual(codeList(act, 'ActivityStatuses', consts))
    expect(attendanceKinds).toEqual(codeList(act, 'AttendanceKinds', consts))
    expect(checkinMethods).toEqual(codeList(act, 'CheckinMethods', consts))
    expect(requirements).toEqual(codeList(comp, 'Requirements', consts))
    expect(frequencies).toEqual(codeList(comp, 'Frequencies', consts))
    expect(periodStatuses).toEqual(codeList(comp, 'PeriodStatuses', consts))
  })
})
