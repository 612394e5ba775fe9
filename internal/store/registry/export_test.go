package registry

// SetSparseGrams changes how many organizations a gram may hold for a
// search to start from them (the small city's grams are all below the
// default), returning the restore.
func SetSparseGrams(n int) (restore func()) {
	old := sparseGrams
	sparseGrams = n
	return func() { sparseGrams = old }
}
