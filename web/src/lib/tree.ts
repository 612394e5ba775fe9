// Helpers for the Party-org tree.

export interface TreeNodeLike {
  id: number
  parent_id?: number | null
}

export type WithChildren<T> = T & { children: WithChildren<T>[] }

/**
 * Builds a forest from a flat list: nodes whose parent is not in the list are
 * roots. Order of siblings follows the input order.
 */
export function buildTree<T extends TreeNodeLike>(items: readonly T[]): WithChildren<T>[] {
  const byId = new Map<number, WithChildren<T>>()
  for (const it of items) byId.set(it.id, { ...it, children: [] })
  const roots: WithChildren<T>[] = []
  for (const it of items) {
    const node = byId.get(it.id)!
    const parent = it.parent_id != null ? byId.get(it.parent_id) : undefined
    if (parent && parent !== node) parent.children.push(node)
    else roots.push(node)
  }
  return roots
}

/** The ids of a materialized path: "/1/7/42/" → [1, 7, 42]. */
export function pathIds(path: string | null | undefined): number[] {
  if (!path) return []
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number)
    .filter((n) => Number.isInteger(n))
}

/**
 * The ids to expand, in order, to reveal `targetId` in a tree rooted at
 * `rootId`, given the ancestor chain from the server (which may or may not
 * include the root and the target itself). The target is not included.
 * Returns null when the chain does not pass through the root.
 */
export function expansionChain(rootId: number, targetId: number, ancestors: readonly TreeNodeLike[]): number[] | null {
  const ids = ancestors.map((a) => a.id)
  if (targetId === rootId) return []
  let start = ids.indexOf(rootId)
  if (start < 0) {
    // The server's chain starts below the root only if the root is its parent.
    const first = ancestors[0]
    if (first && first.parent_id === rootId) {
      ids.unshift(rootId)
      start = 0
    } else {
      return null
    }
  }
  const chain = ids.slice(start).filter((id) => id !== targetId)
  return chain
}

/** True when `id` lies in the subtree given by `path` of a scope node. */
export function inSubtree(scopePath: string, nodePath: string): boolean {
  return !!scopePath && !!nodePath && nodePath.startsWith(scopePath)
}
