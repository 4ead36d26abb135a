/* Linked statically: `weft record --preload` must refuse it. */
int main(void)
{
	return 0;
}
