import { describe, expect, it } from 'vitest'
import { itemLink, kindLink } from './todo'

describe('todo links', () => {
  it('leads each kind to its list filtered to what waits on me', () => {
    expect(kindLink('alert')).toEqual({ path: '/alerts', query: { waiting: '1', sort: 'urgency' } })
    expect(kindLink('filing')).toEqual({ path: '/filings', query: { waiting: '1' } })
    expect(kindLink('term_change')).toEqual({ path: '/filings', query: { waiting: '1' } })
    expect(kindLink('returned')).toEqual({ path: '/filings', query: { tab: 'all', status: 'returned' } })
    expect(kindLink('nope')).toEqual({ path: '/todo' })
  })
  it('opens an alert in the drawer of that list', () => {
    expect(itemLink({ kind: 'alert', id: 42 })).toEqual({ path: '/alerts', query: { waiting: '1', sort: 'urgency', alert: '42' } })
    expect(itemLink({ kind: 'filing', id: 7 })).toEqual(kindLink('filing'))
  })
})
