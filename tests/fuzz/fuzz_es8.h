/*
 * The honest prefix of the ES8 fuzz targets (fuzz_es8.c, fuzz_scp03t.c): an SM-SR and an SM-DP
 * played with libeum-host through the very helpers of the end-to-end tests (tests/e2e/es8_e2e.h;
 * their assertions abort here, see shim/cmocka.h). The expensive, persistent part of the prefix
 * (CreateISDP, and for SCP03t the whole key establishment) is done once per process; its state
 * image is kept, and every input starts from a card loaded from that image through the storage
 * hook, so an input's run does not depend on the ones before it.
 *
 * With EUM_FUZZ_SAVE_IMAGE=<path> in the environment the prefix image is also written there
 * (the seeds of the image targets are made so).
 */
#ifndef EUM_FUZZ_ES8_H
#define EUM_FUZZ_ES8_H

#include "fuzz_scp80.h"

#include "../e2e/es8_e2e.h"

#define FUZZ_IMG_MAX (256 * 1024)

static const uint8_t fuzz_isdp_tar[3] = {0x00, 0x00, 0x20};

struct fuzz_es8 {
	struct es8 x;              /* the SM-SR/SM-DP side, x.card the card of the current input */
	uint8_t img[FUZZ_IMG_MAX]; /* the card after the prefix */
	size_t img_len;
	uint8_t cntr[5]; /* the ISD-R key set's SCP80 counter after the prefix */
	struct fuzz_mem mem;
};

/* Run the persistent prefix once: CreateISDP (TAR 000020), then key establishment if asked. */
static inline void fuzz_es8_prefix(struct fuzz_es8 *f, int establish)
{
	struct es8 *x = &f->x;
	const char *save;
	eum_card *card;

	memset(x, 0, sizeof(*x));
	x->clk.now = 1767225600ull; /* the default card's fixed clock (2026-01-01) */
	x->rng = 0x0123456789ABCDEFull;
	fuzz_mem_init(&f->mem, NULL, 0);
	card = fuzz_card(&f->mem);
	assert_non_null(card);
	x->card = card;
	ota_terminal_profile(card, NULL, 20);
	x->cert_len = es8_file("pki/p256/smdp.cert", x->cert, sizeof(x->cert));
	assert_int_equal(es8_hexfile("p256", "smdp.sk.hex", x->sk_dp, 32), 32);
	assert_int_equal(es8_hexfile("p256", "ecasd.pk.hex", x->pk_ecasd, 65), 65);
	eum_host_smdp_crt_default(&x->crt);
	es8_create_isdp(x, fuzz_isdp_tar);
	if (establish)
		es8_establish_keys(x, 0);
	assert_int_equal(eum_card_save_image(card, f->img, sizeof(f->img), &f->img_len), EUM_OK);
	memcpy(f->cntr, x->cntr, 5);
	eum_card_free(card);
	fuzz_mem_free(&f->mem);
	x->card = NULL;
	save = getenv("EUM_FUZZ_SAVE_IMAGE");
	if (save) {
		FILE *o = fopen(save, "wb");
		assert_non_null(o);
		assert_int_equal(fwrite(f->img, 1, f->img_len, o), f->img_len);
		fclose(o);
	}
}

/* A card in the state the prefix left, with its TERMINAL PROFILE, for the next input. */
static inline void fuzz_es8_card(struct fuzz_es8 *f)
{
	fuzz_mem_init(&f->mem, f->img, f->img_len);
	f->x.card = fuzz_card(&f->mem);
	assert_non_null(f->x.card);
	memcpy(f->x.cntr, f->cntr, 5);
	f->x.rng = 0x0123456789ABCDEFull;
	ota_terminal_profile(f->x.card, NULL, 20);
}

static inline void fuzz_es8_done(struct fuzz_es8 *f)
{
	fuzz_check_image(f->x.card, &f->mem);
	eum_card_free(f->x.card);
	f->x.card = NULL;
	fuzz_mem_free(&f->mem);
}

/* Send a script (any bytes) to a TAR as the SM-SR does (AES key set KVN 3, SPI 16 19, the next
 * counter), without judging the answer. */
static inline uint16_t fuzz_es8_send(struct fuzz_es8 *f, const uint8_t tar[3], const uint8_t *script, size_t len)
{
	const struct ota_keys *k = ota_keys_by_name("aes128");
	struct eum_host_scp80_params p;
	int j;

	for (j = 4; j >= 0 && ++f->x.cntr[j] == 0; j--)
		;
	memset(&p, 0, sizeof(p));
	p.spi[0] = 0x16;
	p.spi[1] = 0x19;
	p.kic = p.kid = (uint8_t)(k->kvn << 4 | k->nib);
	memcpy(p.tar, tar, 3);
	memcpy(p.cntr, f->x.cntr, 5);
	return fuzz_scp80_send(f->x.card, k, &p, script, len);
}

#endif
