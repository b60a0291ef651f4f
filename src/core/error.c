/* eum_err descriptions (the C API's error currency, STYLE §4). */
#include "eum/eum.h"

static const char *const eum_err_names[] = {
        [0] = "success",
        [1] = "invalid argument",
        [2] = "out of memory",
        [3] = "output buffer too small",
        [4] = "cryptographic operation failed",
        [5] = "card is not powered (reset it first)",
        [6] = "storage hook failed",
        [7] = "invalid configuration",
        [8] = "malformed input",
        [9] = "unsupported feature",
        [10] = "stored card image is damaged or foreign",
        [11] = "profile package refused",
        [12] = "not found",
        [13] = "file input/output error",
        [14] = "not allowed in the current card state",
};

_Static_assert(sizeof(eum_err_names) / sizeof(eum_err_names[0]) == -EUM_ERR_NUM, "eum_err table incomplete");

const char *eum_strerror(int err)
{
	if (err > 0 || err <= EUM_ERR_NUM)
		return "unknown error";
	return eum_err_names[-err];
}
