import { orgApi } from '../api'
import type { PartyOrg } from '../api/types'

/** All children of a Party org, page by page (the tree needs them all). */
export async function loadChildren(parentId: number, status: string, maxPages = 50): Promise<PartyOrg[]> {
  const out: PartyOrg[] = []
  for (let page = 1; page <= maxPages; page++) {
    const res = await orgApi.list({ parent_id: parentId, page, page_size: 200, status })
    out.push(...(res.items ?? []))
    if (!res.items?.length || out.length >= (res.total ?? 0)) break
  }
  return out
}
