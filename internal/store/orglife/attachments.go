package orglife

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/lianxin/lianxin/internal/store"

	"github.com/lianxin/lianxin/internal/audit"
	"github.com/lianxin/lianxin/internal/domain"
)

// Attachment is a photo or document of an activity. The bytes live under
// the data directory (internal/attachment); the row says where.
type Attachment struct {
	ID          int64     `json:"id"`
	ActivityID  int64     `json:"activity_id"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	StoredName  string    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxAttachments bounds the attachments of one activity.
const MaxAttachments = 20

const attachmentCols = `id, activity_id, file_name, content_type, size, sha256, stored_name, created_at`

func scanAttachment(r interface{ Scan(...any) error }) (Attachment, error) {
	var a Attachment
	var created string
	err := r.Scan(&a.ID, &a.ActivityID, &a.FileName, &a.ContentType, &a.Size, &a.SHA256, &a.StoredName, &created)
	a.CreatedAt = store.ParseTS(created)
	return a, err
}

func (s *Store) attachments(ctx context.Context, activityID int64) ([]Attachment, error) {
	rows, err := s.db.QueryRows(ctx, `SELECT `+attachmentCols+` FROM activity_attachments WHERE activity_id = ? ORDER BY id`, activityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Attachment{}
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddAttachment records a stored file for an activity whose main host is in
// the caller's scope (audited).
func (s *Store) AddAttachment(ctx context.Context, c store.Caller, a Attachment) (Attachment, error) {
	err := s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := s.writableActivity(ctx, t, c.Scope, a.ActivityID); err != nil {
			return err
		}
		var n int
		if err := t.QueryRow(ctx, `SELECT COUNT(*) FROM activity_attachments WHERE activity_id = ?`, a.ActivityID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxAttachments {
			return domain.FieldError("file", fmt.Sprintf("每个活动最多%d个附件", MaxAttachments))
		}
		a.CreatedAt = c.Now
		err := t.QueryRow(ctx, `INSERT INTO activity_attachments (activity_id, file_name, content_type, size, sha256, stored_name, uploaded_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, a.ActivityID, a.FileName, a.ContentType, a.Size, a.SHA256, a.StoredName,
			store.NullInt(c.Actor.UserID), store.TS(c.Now)).Scan(&a.ID)
		if err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionCreate, "attachment", strconv.FormatInt(a.ID, 10), audit.ResultSuccess).WithStates(nil, a))
	})
	return a, err
}

// GetAttachment returns an attachment of an activity visible in the scope.
func (s *Store) GetAttachment(ctx context.Context, sc store.Scope, activityID, id int64) (Attachment, error) {
	if _, err := s.getActivity(ctx, s.db.Pool(), sc, activityID); err != nil {
		return Attachment{}, err
	}
	a, err := scanAttachment(s.db.QueryRow(ctx, `SELECT `+attachmentCols+` FROM activity_attachments WHERE id = ? AND activity_id = ?`, id, activityID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.ErrNotFound
	}
	return a, err
}

// DeleteAttachment removes an attachment's row and returns it, so that the
// caller deletes the file (audited).
func (s *Store) DeleteAttachment(ctx context.Context, c store.Caller, activityID, id int64) (Attachment, error) {
	var a Attachment
	err := s.db.Write(ctx, func(t *store.Tx) error {
		if _, err := s.writableActivity(ctx, t, c.Scope, activityID); err != nil {
			return err
		}
		var err error
		a, err = scanAttachment(t.QueryRow(ctx, `SELECT `+attachmentCols+` FROM activity_attachments WHERE id = ? AND activity_id = ?`, id, activityID))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := t.Exec(ctx, `DELETE FROM activity_attachments WHERE id = ?`, id); err != nil {
			return err
		}
		return s.db.AppendAudit(ctx, t, audit.New(c.Now, c.Actor, audit.ActionDelete, "attachment", strconv.FormatInt(id, 10), audit.ResultSuccess).WithStates(a, nil))
	})
	return a, err
}
