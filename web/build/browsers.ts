// The browsers lianxin supports (README "Browsers"), as Vite's syntax target.
// package.json "browserslist" names the same browsers for es-check, which
// checks the built files against them (npm run check:browsers, .escheckrc;
// scripts/test step d); browsers.test.ts keeps the two lists equal.
//
// - Chromium 86: the 信创 browsers on government desktops (奇安信可信浏览器,
//   360 安全浏览器/极速浏览器) are built on it, and so are Edge 86+ and the
//   Android WeChat browser (XWeb).
// - Safari 14 / iOS 14: WeChat on an iPhone shows pages in the system's WebKit.
//
// Chromium 86 lacks top-level await (89), class static blocks (94), `#x in obj`
// (91), the regexp `d` flag (90), Array.prototype.at (92) and Object.hasOwn
// (93); Safari 14.0 lacks private class members and static class fields
// (14.1). The build lowers the syntax, tsconfig's "lib" (ES2021) keeps the
// newer built-ins out of the app's code, and es-check refuses a built file
// that still uses any of them. One exception (.escheckrc): Vue's chunk, whose
// reactive arrays define toReversed/toSorted/toSpliced wrappers that call the
// native methods only when the app calls them on a reactive array, which the
// app's ES2021 "lib" does not let it do.
export const BUILD_TARGET = ['chrome86', 'edge86', 'safari14', 'ios14']
