/*
 * Corpus replay for builds without libFuzzer (gcc, or clang without -DEUM_FUZZ=ON): feed every
 * file named on the command line, or found in a directory named there, to
 * LLVMFuzzerTestOneInput() once, in name order. ctest runs this over each target's committed
 * corpus (tests/fuzz/corpus/<target>/), so the normal suite exercises every seed and every
 * regression input; a crash, a sanitizer report or an oracle's abort fails the test.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPLAY_MAX_INPUT (1024 * 1024)

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;

	if (!f) {
		fprintf(stderr, "replay: cannot open %s\n", path);
		return 1;
	}
	buf = malloc(REPLAY_MAX_INPUT);
	if (!buf) {
		fclose(f);
		return 1;
	}
	n = fread(buf, 1, REPLAY_MAX_INPUT, f);
	fclose(f);
	/* an exact-size copy, so that ASan sees reads past the input's end */
	{
		uint8_t *in = malloc(n ? n : 1);
		if (!in) {
			free(buf);
			return 1;
		}
		memcpy(in, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(in, n);
		free(in);
	}
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int rc = 0;

	if (!d) {
		fprintf(stderr, "replay: cannot open directory %s\n", dir);
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			char **nn = realloc(names, (cap = cap ? 2 * cap : 64) * sizeof(*names));
			if (!nn) {
				rc = 1;
				break;
			}
			names = nn;
		}
		names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
		if (!names[n]) {
			rc = 1;
			break;
		}
		sprintf(names[n], "%s/%s", dir, e->d_name);
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		if (!rc)
			rc = run_file(names[i]);
		free(names[i]);
	}
	free(names);
	*count += n;
	return rc;
}

int main(int argc, char **argv)
{
	size_t count = 0;
	int i, rc = 0;

	for (i = 1; i < argc && !rc; i++) {
		struct stat st;
		if (stat(argv[i], &st) != 0) {
			fprintf(stderr, "replay: %s does not exist\n", argv[i]);
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			rc = run_dir(argv[i], &count);
		} else {
			rc = run_file(argv[i]);
			count++;
		}
	}
	if (!rc && count == 0) {
		fprintf(stderr, "replay: no input found\n");
		return 1;
	}
	if (!rc)
		printf("replayed %zu inputs\n", count);
	return rc;
}
