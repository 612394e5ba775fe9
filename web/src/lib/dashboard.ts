// The home page's sections of count cards, from GET /api/v1/dashboard.
import type { Dashboard } from '../api/types'

export interface Card {
  key: string
  label: string
  value: number
  tone?: 'danger' | 'warning' | 'info'
  /** the page a click opens */
  to?: string
}

export interface Section {
  title: string
  cards: Card[]
}

type CardSpec<S> = Omit<Card, 'value'> & { value: (s: S) => number | undefined }

interface SectionSpec<K extends keyof Dashboard> {
  title: string
  part: K
  cards: CardSpec<NonNullable<Dashboard[K]>>[]
}

const spec = <K extends keyof Dashboard>(s: SectionSpec<K>) => s

// Sections in page order; a section the caller may not see is absent from the answer.
const sectionSpecs = [
  spec({
    title: '党组织',
    part: 'party_orgs',
    cards: [
      { key: 'po-active', label: '党组织总数', value: (s) => s.active, to: '/party-orgs' },
      { key: 'po-dissolved', label: '已撤销', value: (s) => s.dissolved, tone: 'info' },
    ],
  }),
  spec({
    title: '换届',
    part: 'terms',
    cards: [
      { key: 'term-overdue', label: '换届超期', value: (s) => s.overdue, tone: 'danger' },
      { key: 'term-due', label: '即将换届', value: (s) => s.due_soon, tone: 'warning' },
    ],
  }),
  spec({
    title: '用户',
    part: 'users',
    cards: [
      { key: 'users-total', label: '用户数', value: (s) => s.total, to: '/users' },
      { key: 'users-locked', label: '已锁定', value: (s) => s.locked, tone: 'warning' },
      { key: 'users-disabled', label: '已停用', value: (s) => s.disabled, tone: 'info' },
    ],
  }),
  spec({
    title: '审计',
    part: 'audit',
    cards: [
      { key: 'audit-today', label: '今日审计事件', value: (s) => s.today, to: '/audit' },
      { key: 'audit-fail', label: '今日失败/越权', value: (s) => s.failures_today, tone: 'danger' },
    ],
  }),
]

/**
 * The sections of the home page. The Party-org section also has a card per
 * org type, in `typeOrder` (types not in it last), named by `typeName`.
 */
export function dashboardSections(
  d: Dashboard | null | undefined,
  typeName: (code: string) => string = (c) => c,
  typeOrder: readonly string[] = [],
): Section[] {
  if (!d) return []
  const out: Section[] = []
  for (const s of sectionSpecs as SectionSpec<keyof Dashboard>[]) {
    const part = d[s.part]
    if (!part || typeof part !== 'object') continue
    const cards: Card[] = s.cards.map(({ value, ...c }) => ({ ...c, value: value(part as never) ?? 0 }))
    if (s.part === 'party_orgs') cards.push(...typeCards(d, typeName, typeOrder))
    out.push({ title: s.title, cards })
  }
  return out
}

function typeCards(d: Dashboard, typeName: (code: string) => string, order: readonly string[]): Card[] {
  const rank = (c: string) => (order.indexOf(c) < 0 ? order.length : order.indexOf(c))
  return Object.entries(d.party_orgs?.by_type ?? {})
    .sort((a, b) => rank(a[0]) - rank(b[0]))
    .map(([type, n]) => ({ key: 'type-' + type, label: typeName(type), value: n }))
}
