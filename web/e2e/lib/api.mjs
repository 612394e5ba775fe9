// Calls the JSON API from inside a page, with that page's session cookie.

/** Answers { status, body } with body the parsed JSON, or null. */
export async function api(page, method, path, body) {
  return page.evaluate(
    async ([method, path, body]) => {
      const res = await fetch(path, {
        method,
        headers: body ? { 'Content-Type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      })
      const text = await res.text()
      let json = null
      try {
        json = text ? JSON.parse(text) : null
      } catch {
        json = null
      }
      return { status: res.status, body: json }
    },
    [method, path, body],
  )
}
