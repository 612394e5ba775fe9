package pii

import "strings"

// Masking for display (GB/T 35273 §7 展示限制). Masks work on runes, so
// multi-byte text is never cut mid-character, and keep the input's length,
// which staff use to spot a malformed value. The rules only ever reveal less
// than the default policy: input too short to mask safely is masked entirely.

// MaskIDNumber masks an ID number: first 6 and last 4 of an 18-character
// number (510104********0015). Shorter input keeps at least 8 characters
// hidden by revealing less of the front, so a 15-digit number shows its first
// 3 and last 4; below 12 characters nothing is shown.
func MaskIDNumber(s string) string {
	r := []rune(strings.TrimSpace(s))
	n := len(r)
	switch {
	case n >= 18:
		return mask(r, 6, 4)
	case n >= 12:
		show := n - 8
		tail := min(4, show)
		return mask(r, show-tail, tail)
	default:
		return mask(r, 0, 0)
	}
}

// MaskPhone masks a phone number 3-4-4 (138****8000). A shorter number (a
// landline) keeps at least 4 hidden and shows at most its last 4; below 7
// characters nothing is shown.
func MaskPhone(s string) string {
	r := []rune(strings.TrimSpace(s))
	n := len(r)
	switch {
	case n >= 11:
		return mask(r, 3, 4)
	case n >= 7:
		show := n - 4
		tail := min(4, show)
		return mask(r, show-tail, tail)
	default:
		return mask(r, 0, 0)
	}
}

// MaskName shows the surname and masks the given name: 张* , 欧阳**. A
// two-character surname is recognised from a list (compoundSurnames) and only
// when a given name follows it; a one-character name is masked entirely.
func MaskName(s string) string {
	r := []rune(strings.TrimSpace(s))
	switch {
	case len(r) <= 1:
		return mask(r, 0, 0)
	case len(r) >= 3 && compoundSurnames[string(r[:2])]:
		return mask(r, 2, 0)
	default:
		return mask(r, 1, 0)
	}
}

// mask keeps head runes at the front and tail at the back and stars the rest.
// Callers guarantee head+tail < len(r) for non-empty r.
func mask(r []rune, head, tail int) string {
	var b strings.Builder
	b.Grow(len(r) * 3)
	for i, c := range r {
		if i < head || i >= len(r)-tail {
			b.WriteRune(c)
		} else {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// compoundSurnames are common two-character (复姓) surnames, simplified and
// traditional. A wrong match reveals one character of a given name, so the
// list keeps to well-known compound surnames.
var compoundSurnames = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(`
		欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木
		独孤 南宫 西门 万俟 闻人 澹台 公冶 濮阳 淳于 太叔 申屠 呼延 赫连 拓跋 百里 司空
		东郭 第五 鲜于 闾丘 仲孙 叔孙 公羊 谷梁 颛孙 钟离 宗政 左丘 梁丘 段干 乐正 亓官
		司寇 子车 羊舌 微生 巫马 公西 漆雕 壤驷 公良 东门 北宫 完颜 耶律
		歐陽 司馬 諸葛 東方 長孫 軒轅 獨孤 聞人 鍾離 東郭 鮮于 閭丘 顓孫 樂正 壤駟 東門 北宮`) {
		m[s] = true
	}
	return m
}()
