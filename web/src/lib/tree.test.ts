import { describe, expect, it } from 'vitest'
import { buildTree, expansionChain, inSubtree, pathIds } from './tree'

describe('buildTree', () => {
  it('nests children under parents and keeps orphans as roots', () => {
    const flat = [
      { id: 1, parent_id: null, name: 'city' },
      { id: 2, parent_id: 1, name: 'jinjiang' },
      { id: 3, parent_id: 1, name: 'qingyang' },
      { id: 4, parent_id: 2, name: 'branch' },
      { id: 9, parent_id: 99, name: 'orphan' },
    ]
    const roots = buildTree(flat)
    expect(roots.map((r) => r.id)).toEqual([1, 9])
    expect(roots[0].children.map((c) => c.id)).toEqual([2, 3])
    expect(roots[0].children[0].children.map((c) => c.name)).toEqual(['branch'])
    expect(roots[1].children).toEqual([])
  })
  it('handles an empty list', () => {
    expect(buildTree([])).toEqual([])
  })
})

describe('pathIds', () => {
  it('parses materialized paths', () => {
    expect(pathIds('/1/7/42/')).toEqual([1, 7, 42])
    expect(pathIds('')).toEqual([])
    expect(pathIds(null)).toEqual([])
  })
})

describe('expansionChain', () => {
  const chain = [
    { id: 7, parent_id: 1 },
    { id: 42, parent_id: 7 },
    { id: 100, parent_id: 42 },
  ]
  it('starts at the scope root and stops before the target', () => {
    expect(expansionChain(7, 100, chain)).toEqual([7, 42])
  })
  it('works when the server omits the target', () => {
    expect(expansionChain(7, 100, chain.slice(0, 2))).toEqual([7, 42])
  })
  it('works when the server omits the root', () => {
    expect(expansionChain(7, 100, chain.slice(1))).toEqual([7, 42])
  })
  it('is empty for the root itself', () => {
    expect(expansionChain(7, 7, chain)).toEqual([])
  })
  it('is null outside the scope', () => {
    expect(expansionChain(3, 100, chain)).toBeNull()
  })
})

describe('inSubtree', () => {
  it('compares paths', () => {
    expect(inSubtree('/1/7/', '/1/7/42/')).toBe(true)
    expect(inSubtree('/1/7/', '/1/70/')).toBe(false)
    expect(inSubtree('', '/1/')).toBe(false)
  })
})
