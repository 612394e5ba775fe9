import { orgApi } from '../api'
import type { Page, PartyOrg } from '../api/types'

/** All children of a Party org, page by page (the tree needs them all). */
export async function loadChildren(parentId: number, status: string, maxPages = 50): Promise<PartyOrg[]> {
  return loadAllPages((page) => orgApi.list({ parent_id: parentId, page, page_size: 200, status }), maxPages)
}

/** Every item of a paged list, page by page. */
export async function loadAllPages<T>(fetch: (page: number) => Promise<Page<T>>, maxPages = 50): Promise<T[]> {
  const out: T[] = []
  for (let page = 1; page <= maxPages; page++) {
    const res = await fetch(page)
    out.push(...(res.items ?? []))
    if (!res.items?.length || out.length >= (res.total ?? 0)) break
  }
  return out
}
