/* A library that does nothing: something real to LD_PRELOAD in tests. */
int weft_test_empty_preload(void);

int weft_test_empty_preload(void)
{
	return 0;
}
