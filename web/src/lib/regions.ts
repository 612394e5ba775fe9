// Regions (行政区划) for the pickers: the district-level units and their streets.
import { metaApi, itemsOf } from '../api'
import type { Region } from '../api/types'

type RegionRef = string | Pick<Region, 'code'> & Partial<Pick<Region, 'parent_code' | 'functional_zone_code'>>

/**
 * The district-level unit (区(市)县 or functional zone) among `districts` that
 * a region is or belongs to: the region itself, the functional zone that
 * administers it, its parent, or, from the code alone, the county part of a
 * GB/T 2260 street or community code. Null when none of these is a district.
 */
export function districtOf(region: RegionRef | null | undefined, districts: Iterable<string>): string | null {
  if (!region) return null
  const r = typeof region === 'string' ? { code: region } : region
  const known = new Set(districts)
  const candidates = [r.code, r.functional_zone_code, r.parent_code, /^\d{9}(\d{3})?$/.test(r.code) ? r.code.slice(0, 6) : '']
  return candidates.find((c): c is string => !!c && known.has(c)) ?? null
}

let districtList: Promise<Region[]> | null = null

/** The 区(市)县 and the functional zones, in the server's order (fetched once). */
export function loadDistricts(): Promise<Region[]> {
  districtList ??= Promise.all([metaApi.regions({ level: 'district' }), metaApi.regions({ level: 'functional_zone' })])
    .then(([d, f]) => [...itemsOf(d), ...itemsOf(f)])
    .catch((e) => {
      districtList = null
      throw e
    })
  return districtList
}

/** The streets (街道/镇) of a district, including those a functional zone administers. */
export async function loadStreets(district: string): Promise<Region[]> {
  return itemsOf(await metaApi.regions({ parent_code: district }))
}
