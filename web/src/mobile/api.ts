// The member role's endpoints (docs/API.md "Check-in (member role)" and
// "Members' own pages"). Types mirror the contract; fields the contract leaves
// open (ActivityBrief) are optional so that the pages show what is there.

import { api, request } from '../api/client'
import type { Me } from '../api/types'

const V1 = '/api/v1'

export interface MonthlyTheme {
  id: number
  month: string // YYYY-MM
  title: string
  description?: string
}

export interface ActivityBrief {
  id: number
  title: string
  type?: string
  type_name?: string
  party_org_id?: number
  party_org_name?: string
  host_name?: string
  hosts?: { id: number; name: string }[]
  starts_at: string
  ends_at?: string
  address?: string
  latitude?: number | null
  longitude?: number | null
  open?: boolean
  capacity?: number
  /** guests present (活动互认) so far: with `capacity`, the places left */
  guests?: number
  /** places still free, when the server says so directly */
  places_left?: number | null
  /** the member's own attendance at it ('' when none) */
  my_kind?: string
  status?: string
  theme?: string
  monthly_theme?: MonthlyTheme | null
}

export interface NearbyActivity extends ActivityBrief {
  distance_km: number
}

/** GET /my/nearby: the items and where the search was centred ("当前位置", "锦江区中心（估算）"). */
export interface NearbyAnswer {
  center?: { lat: number; lng: number }
  place?: string
  radius_km?: number
  items: NearbyActivity[]
}

export interface MyAttendance {
  id: number
  activity_id: number
  activity_title: string
  activity_type: string
  /** the type's Chinese name */
  type_name?: string
  host_name: string
  starts_at: string
  kind: 'present' | 'leave' | 'absent' | string
  reason?: string
  recognized: boolean
  method: string
  at: string
  /** a check-in answer: the member had already checked in, this is that attendance */
  repeat?: boolean
}

export interface MyAttendanceYear {
  year: number
  own: number
  recognized: number
  leave: number
  absent?: number
  items: MyAttendance[]
}

export interface MyCode {
  code: string
  expires_at: string
  refresh_in: number
}

/**
 * GET /my/org. The contract names `name` (the org's), `contact`, `address`;
 * the server answers the member's summary: `name` is the member's, the org is
 * `party_org_name`, with `parent_name` and `region_name`. Both are read.
 */
export interface MyOrg {
  party_org_id: number
  name: string
  party_org_name?: string
  party_org_type?: string
  secretary_name: string
  parent_name?: string
  region_name?: string
  contact?: string
  address?: string
}

export interface MyActivities {
  theme: MonthlyTheme | null
  items: ActivityBrief[]
}

export interface NearbyQuery {
  lat?: number
  lng?: number
  near?: string
  radius_km: number
}

/** /my/nearby: the contract says a bare array, the server answers `{center, place, radius_km, items}`; both are read. */
function nearbyOf(v: NearbyActivity[] | Partial<NearbyAnswer> | null | undefined): NearbyAnswer {
  if (Array.isArray(v)) return { items: v }
  return { ...v, items: v?.items ?? [] }
}

export const mobileApi = {
  activate: (username: string, code: string, password: string) =>
    request<Me>('POST', `${V1}/session/activate`, { body: { username, code, password }, skipAuthRedirect: true }),
  checkin: (code: string) => api.post<MyAttendance>(`${V1}/checkins`, { code }),
  myCode: () => api.get<MyCode>(`${V1}/my/code`),
  /** The PNG of the current code; `bust` keeps the browser from reusing an old image. */
  myCodeImageURL: (bust: string | number) => `${V1}/my/code?format=png&t=${encodeURIComponent(String(bust))}`,
  myOrg: () => api.get<MyOrg>(`${V1}/my/org`),
  myAttendance: (year: number) => api.get<MyAttendanceYear>(`${V1}/my/attendance`, { year }),
  myActivities: () => api.get<MyActivities>(`${V1}/my/activities`),
  nearby: async (q: NearbyQuery) =>
    nearbyOf(
      await api.get<NearbyActivity[] | Partial<NearbyAnswer>>(`${V1}/my/nearby`, {
        lat: q.lat,
        lng: q.lng,
        near: q.near,
        radius_km: q.radius_km,
      }),
    ),
}
