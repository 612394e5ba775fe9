// Who is logged in on the phone pages (GET /api/v1/me), loaded once per page
// load. The staff app keeps this in a Pinia store (stores/session.ts); the
// phone pages do without Pinia to stay light.
import { reactive } from 'vue'
import { ApiError } from '../api/client'
import type { Me } from '../api/types'
import { mobileApi } from './api'

export const phoneSession = reactive<{ me: Me | null; loaded: boolean }>({ me: null, loaded: false })

/** The current account, or null when nobody is logged in. */
export async function loadMe(): Promise<Me | null> {
  if (phoneSession.loaded) return phoneSession.me
  try {
    phoneSession.me = await mobileApi.me()
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 401) throw e
    phoneSession.me = null
  }
  phoneSession.loaded = true
  return phoneSession.me
}

export function setMe(me: Me | null) {
  phoneSession.me = me
  phoneSession.loaded = true
}

/** The member's name and Party org for the page headers. */
export function memberName(me: Me | null): string {
  return me?.member?.name || me?.display_name || ''
}
export function memberOrgName(me: Me | null): string {
  return me?.member?.party_org_name || me?.party_org_name || ''
}
