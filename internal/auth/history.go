package auth

import (
	"context"

	"github.com/lianxin/lianxin/internal/domain"
	"github.com/lianxin/lianxin/internal/store/stores"
)

// CheckNotReused refuses pw, as a field error on field, when it is one of
// the account's latest domain.PasswordHistory passwords (the current one
// included). Each comparison costs one argon2id hash of the stored
// parameters, so at most five per change or reset.
func CheckNotReused(ctx context.Context, st *stores.Set, userID int64, field, pw string) error {
	hashes, err := st.Accounts.RecentPasswordHashes(ctx, userID)
	if err != nil {
		return err
	}
	for _, h := range hashes {
		same, err := CheckPassword(pw, h)
		if err != nil {
			continue // a hash this version cannot read matches nothing
		}
		if same {
			return domain.ErrPasswordReused(field)
		}
	}
	return nil
}
