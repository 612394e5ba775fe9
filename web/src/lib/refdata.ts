// The registry's reference lists. The server serves them in GET /api/v1/meta
// (`registry`); until that answer comes (or when it lacks a list) the
// domain's own lists are used, generated into codes.gen.ts by
// go generate ./... (codes, Chinese names and display order).
// The exported lists are reactive: applyRegistry() replaces their contents
// with the server's, and whatever shows them is updated.
import { shallowReactive } from 'vue'
import * as codes from './codes.gen'

export interface CodeName {
  code: string
  name: string
}

export type CodeList = readonly CodeName[]

const list = (l: CodeList): CodeList => shallowReactive(l.map(({ code, name }) => ({ code, name })))

/** Organization kinds, derived from the USCC by the server. */
export const orgKinds = list(codes.orgKinds)
/** Subtypes of social organizations. */
export const orgSubtypes = list(codes.orgSubtypes)
/** Organization statuses (登记状态). */
export const orgStatuses = list(codes.orgStatuses)
/** The 20 sections (门类) of GB/T 4754-2017. */
export const industries = list(codes.industries)
/** Employee-count bands (derived by the server from the count). */
export const employeeBands = list(codes.employeeBands)
/** Annual revenue bands (年营业收入). */
export const revenueBands = list(codes.revenueBands)
/** Organization flags (标签). */
export const orgFlags = list(codes.orgFlags)
/** The organizations' Party-building facts (党建入章, 双向进入 …), each a column of its own. */
export const partyBuildingFlags = list(codes.partyBuildingFlags)
/** The 56 民族 (GB/T 3304-1991) and the two residual codes. */
export const ethnicities = list(codes.ethnicities)
/** Education levels (GB/T 4658-2006, simplified), highest first. */
export const educationLevels = list(codes.educationLevels)
export const memberStatuses = list(codes.memberStatuses)
/** Member standings (党籍/在册状态). */
export const memberStandings = list(codes.memberStandings)
export const genders = list(codes.genders)
/** New-employment-group (新就业群体) types. */
export const gigTypes = list(codes.gigTypes)

/** The lists by their name in GET /api/v1/meta's `registry`. */
const byMetaName: Record<string, CodeList> = {
  org_kinds: orgKinds,
  org_subtypes: orgSubtypes,
  org_statuses: orgStatuses,
  industries,
  employee_bands: employeeBands,
  revenue_bands: revenueBands,
  org_flags: orgFlags,
  party_building_flags: partyBuildingFlags,
  ethnicities,
  education_levels: educationLevels,
  member_statuses: memberStatuses,
  member_standings: memberStandings,
  genders,
  gig_types: gigTypes,
}

function validList(l: unknown): l is CodeName[] {
  return (
    Array.isArray(l) &&
    l.length > 0 &&
    l.every((c) => c && typeof c === 'object' && typeof c.code === 'string' && typeof c.name === 'string')
  )
}

/**
 * Uses the server's lists (GET /api/v1/meta `registry`) instead of the copies;
 * a list missing or malformed there keeps its copy. Returns the names applied.
 */
export function applyRegistry(registry: Record<string, unknown> | null | undefined): string[] {
  const applied: string[] = []
  if (!registry || typeof registry !== 'object') return applied
  for (const [key, target] of Object.entries(byMetaName)) {
    const l = registry[key]
    if (!validList(l)) continue
    ;(target as CodeName[]).splice(0, target.length, ...l.map((c) => ({ code: c.code, name: c.name })))
    applied.push(key)
  }
  return applied
}

/** The name of a code in a list; the code itself when unknown, '' for empty. */
export function nameOf(l: CodeList, code: string | null | undefined): string {
  if (!code) return ''
  return l.find((c) => c.code === code)?.name ?? code
}

/** The band code for n employees, as the server derives it ('' when n < 0 or unknown). */
export function employeeBandOf(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return ''
  let band = ''
  codes.employeeBandFloors.forEach((floor, i) => {
    if (n >= floor) band = employeeBands[i].code
  })
  return band
}
