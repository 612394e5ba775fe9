import { describe, expect, it } from 'vitest'
import { effect } from 'vue'
import { applyRegistry, gigTypes, industries, memberStatuses, nameOf } from './refdata'

// A file of its own: applyRegistry changes the module's lists.
describe('applyRegistry', () => {
  it('prefers the server lists, keeps the copy of a missing or malformed one', () => {
    const seen: string[] = []
    effect(() => {
      seen.push(nameOf(gigTypes, 'rider'))
    })
    const applied = applyRegistry({
      gig_types: [{ code: 'rider', name: '骑手（服务器）' }],
      industries: [{ code: 'A' }],
      member_statuses: 'nope',
    })
    expect(applied).toEqual(['gig_types'])
    expect(gigTypes).toEqual([{ code: 'rider', name: '骑手（服务器）' }])
    // whatever showed the list is updated
    expect(seen).toEqual(['外卖骑手', '骑手（服务器）'])
    expect(industries).toHaveLength(20)
    expect(memberStatuses.map((c) => c.code)).toEqual(['full', 'probationary'])
    expect(applyRegistry(null)).toEqual([])
  })
})
