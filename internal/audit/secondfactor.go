package audit

// Actions of the second login factor (动态口令). A login that passed it is
// ActionLogin, a wrong code ActionLoginFailed, each with the reason.
const (
	ActionTOTPEnable       = "totp_enable"
	ActionTOTPDisable      = "totp_disable"
	ActionTOTPReset        = "totp_reset"
	ActionRecoveryCodes    = "recovery_codes"
	ActionRecoveryCodeUsed = "recovery_code_used"
)

// Kept beside the constants so that the list in audit.go stays as it was.
func init() {
	ActionNames[ActionTOTPEnable] = "启用双因素认证"
	ActionNames[ActionTOTPDisable] = "停用双因素认证"
	ActionNames[ActionTOTPReset] = "重置双因素认证"
	ActionNames[ActionRecoveryCodes] = "重新生成恢复码"
	ActionNames[ActionRecoveryCodeUsed] = "使用恢复码登录"
}
