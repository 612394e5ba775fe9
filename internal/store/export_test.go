package store

// SignHeadForTest signs a head with the store's audit key, as someone who
// once read a genuine head row could replay it.
func SignHeadForTest(s *DB, seq int64, hash string) string { return s.chain.SignHead(seq, hash) }
