// Package audit defines the tamper-evident audit trail: the event record, the
// keyed hash that chains each record to the one before it, and the check that
// walks the chain. It does no I/O; the store persists events in the same
// transaction as the change they describe.
package audit

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Actions recorded in the trail.
const (
	ActionLogin            = "login"
	ActionLoginFailed      = "login_failed"
	ActionLogout           = "logout"
	ActionPasswordChange   = "password_change"
	ActionCreate           = "create"
	ActionUpdate           = "update"
	ActionMove             = "move"
	ActionDissolve         = "dissolve"
	ActionResetPassword    = "reset_password"
	ActionUnlock           = "unlock"
	ActionGrant            = "grant"
	ActionSettingsChange   = "settings_change"
	ActionPermissionDenied = "permission_denied"
	ActionReveal           = "reveal"
	ActionExport           = "export"
	ActionDelete           = "delete"
	ActionImport           = "import"
	ActionCancel           = "cancel"
	ActionActivate         = "activate"
	ActionIssueCode        = "issue_code"
	// Refusals recorded so that probing shows (issue 11, finding 12).
	ActionProbe       = "probe"
	ActionCrossOrigin = "cross_origin_refused"
	// Requests to a superior Party org (书记备案, 换届 postponement).
	ActionSubmit   = "submit"
	ActionApprove  = "approve"
	ActionReturn   = "return"
	ActionWithdraw = "withdraw"
	// ActionPIILookup: a search by a whole ID number or phone, or a
	// registration that found its ID number registered (issue 11).
	ActionPIILookup = "pii_lookup"
)

// ActionNames are the Chinese names of the actions, for the auditor's page.
var ActionNames = map[string]string{
	ActionLogin:            "登录",
	ActionLoginFailed:      "登录失败",
	ActionLogout:           "退出",
	ActionPasswordChange:   "修改密码",
	ActionCreate:           "新建",
	ActionUpdate:           "修改",
	ActionMove:             "移动",
	ActionDissolve:         "撤销",
	ActionResetPassword:    "重置密码",
	ActionUnlock:           "解锁",
	ActionGrant:            "授权",
	ActionSettingsChange:   "设置变更",
	ActionPermissionDenied: "越权访问",
	ActionReveal:           "查看个人信息明文",
	ActionExport:           "导出",
	ActionDelete:           "删除",
	ActionImport:           "导入",
	ActionCancel:           "取消",
	ActionActivate:         "激活账号",
	ActionIssueCode:        "生成激活码",
	ActionProbe:            "访问不存在或范围外的记录",
	ActionCrossOrigin:      "拒绝跨站请求",
	ActionSubmit:           "提交备案或请示",
	ActionApprove:          "审批通过",
	ActionReturn:           "退回",
	ActionWithdraw:         "撤回",
	ActionPIILookup:        "按身份证号或手机号查询",
}

// Results.
const (
	ResultSuccess = "success"
	ResultFailure = "failure"
)

// TimeLayout is the fixed-width timestamp format stored and hashed; fixed
// width keeps lexical order equal to time order on both engines.
const TimeLayout = "2006-01-02T15:04:05.000000Z"

// Actor is who caused an event and from where.
type Actor struct {
	UserID    int64
	Username  string
	Roles     string
	IP        string
	UserAgent string
	RequestID string
}

// Event is one record of the trail. Before and After are JSON documents (or
// empty) of the object's state around a write.
type Event struct {
	ID         int64  `json:"id"`
	At         string `json:"at"`
	UserID     int64  `json:"user_id"`
	Username   string `json:"username"`
	Roles      string `json:"roles"`
	IP         string `json:"ip"`
	UserAgent  string `json:"user_agent"`
	Action     string `json:"action"`
	ObjectType string `json:"object_type"`
	ObjectID   string `json:"object_id"`
	Result     string `json:"result"`
	Reason     string `json:"reason"`
	Before     string `json:"before"`
	After      string `json:"after"`
	RequestID  string `json:"request_id"`
	PrevHash   string `json:"prev_hash"`
	Hash       string `json:"hash"`
}

// New builds an event for actor at now; the store assigns ID and hashes.
func New(now time.Time, a Actor, action, objectType, objectID, result string) Event {
	return Event{
		At: now.UTC().Format(TimeLayout), UserID: a.UserID, Username: a.Username, Roles: a.Roles,
		IP: a.IP, UserAgent: a.UserAgent, RequestID: a.RequestID,
		Action: action, ObjectType: objectType, ObjectID: objectID, Result: result,
	}
}

// WithStates returns e carrying the JSON of before and after (nil for none).
func (e Event) WithStates(before, after any) Event {
	e.Before, e.After = toJSON(before), toJSON(after)
	return e
}

func toJSON(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%q", fmt.Sprint(v))
	}
	return string(b)
}

// Chain computes the hash of events. The key makes the chain keyed (HMAC-
// SHA256): someone who can write to the database but cannot read the key file
// cannot recompute a consistent chain after altering a record.
type Chain struct {
	Key []byte
}

// Seal sets e.PrevHash to prev and e.Hash to the chained hash of e.
func (c Chain) Seal(e *Event, prev string) {
	e.PrevHash = prev
	e.Hash = c.hash(e)
}

// Sealed reports whether e's hash is that of its content (its link to the
// record before is not checked).
func (c Chain) Sealed(e *Event) bool { return c.hash(e) == e.Hash }

func (c Chain) hash(e *Event) string {
	m := hmac.New(sha256.New, c.Key)
	// A fixed field order with length prefixes: unambiguous and stable.
	for _, f := range []string{
		fmt.Sprint(e.ID), e.At, fmt.Sprint(e.UserID), e.Username, e.Roles, e.IP, e.UserAgent,
		e.Action, e.ObjectType, e.ObjectID, e.Result, e.Reason, e.Before, e.After, e.RequestID, e.PrevHash,
	} {
		fmt.Fprintf(m, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// Verifier walks a chain in ID order and finds the first record that does not
// fit: altered content, a broken link, or a gap in the sequence.
type Verifier struct {
	Chain   Chain
	prev    string
	lastID  int64
	Checked int64
}

// Check feeds the next event; it returns a description of the break, or "".
func (v *Verifier) Check(e *Event) string {
	defer func() { v.prev, v.lastID = e.Hash, e.ID; v.Checked++ }()
	if v.lastID != 0 && e.ID != v.lastID+1 {
		return fmt.Sprintf("记录编号不连续：%d 之后应为 %d，实为 %d（记录可能被删除）", v.lastID, v.lastID+1, e.ID)
	}
	if e.PrevHash != v.prev {
		return fmt.Sprintf("记录 %d 与前一条记录的链接不符（前序记录可能被改动或删除）", e.ID)
	}
	if v.Chain.hash(e) != e.Hash {
		return fmt.Sprintf("记录 %d 的内容与其哈希不符（记录被改动）", e.ID)
	}
	return ""
}

// Head checks the chain's end kept beside the trail: its MAC (so that it
// cannot be pointed at an earlier record without the key), then that the
// walk ended at the record it names, which catches deletion of the newest
// records.
func (v *Verifier) Head(h Head) string {
	if !v.Chain.HeadValid(h) {
		return fmt.Sprintf("审计链末端（记录 %d）的校验码不符：末端被改写过（例如删除末尾记录后重设了末端），或所用审计密钥不对", h.Seq)
	}
	if h.Seq != v.lastID || h.Hash != v.prev {
		return fmt.Sprintf("审计链末端不符：应到记录 %d，实际最后一条为 %d（末尾记录可能被删除）", h.Seq, v.lastID)
	}
	return ""
}
