// 待办 (issue 13): where each kind of waiting work and each item lead. Each
// kind links to its whole list, filtered to what waits on the caller.
import type { RouteLocationRaw } from 'vue-router'

export interface TodoLinkable {
  kind: string
  id: number
}

/** The whole list of a kind, filtered as the to-do counts it. */
export function kindLink(kind: string): RouteLocationRaw {
  switch (kind) {
    case 'alert':
      return { path: '/alerts', query: { waiting: '1', sort: 'urgency' } }
    case 'filing':
      return { path: '/filings', query: { waiting: '1' } }
    case 'term_change':
      return { path: '/filings', query: { waiting: '1' } }
    case 'returned':
      return { path: '/filings', query: { tab: 'all', status: 'returned' } }
  }
  return { path: '/todo' }
}

/** One item: an alert opens in its list's drawer, a request in its list. */
export function itemLink(it: TodoLinkable): RouteLocationRaw {
  if (it.kind === 'alert') return { path: '/alerts', query: { waiting: '1', sort: 'urgency', alert: String(it.id) } }
  return kindLink(it.kind)
}
