/*
 * TCA eUICC Profile Package installer: PE-GenericFileManagement (PE_Definitions 3.3.1 §4.3;
 * TS 102 222 §6.3 CREATE FILE semantics for createFCP).
 */
#include "profile/saip_pe.h"

#include <string.h>

#include "FileManagement.h"

int eum_saip_pe_gfm(struct eum_saip_run *r, const PE_GenericFileManagement_t *g)
{
	struct eum_fs *fs = &r->ctx->prof.fs;
	int32_t cur_df = 0, cur_file = -1;
	size_t pos = 0;
	int i, j, rc;

	if (fs->n == 0)
		return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
		                       "genericFileManagement before the MF exists");
	for (i = 0; i < g->fileManagementCMD.list.count; i++) {
		const FileManagement_t *fm = g->fileManagementCMD.list.array[i];
		for (j = 0; j < fm->list.count; j++) {
			const struct FileManagement__Member *m = fm->list.array[j];
			switch (m->present) {
			case FileManagement__Member_PR_filePath: {
				const OCTET_STRING_t *p = &m->choice.filePath;
				int32_t d = 0;
				if (p->size % 2 || p->size > EUM_SAIP_PATH_MAX)
					return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
					                       "filePath length %d (not FIDs, or above %d bytes)",
					                       p->size, EUM_SAIP_PATH_MAX);
				if (p->size > 0)
					d = eum_fs_walk(fs, 0, p->buf, (size_t)p->size);
				if (d < 0)
					return eum_saip_refuse(r, EUM_SAIP_ST_FILE_NOT_FOUND, "filePath: no such DF");
				if (!EUM_FT_IS_DF(fs->files[d].type))
					return eum_saip_refuse(r, EUM_SAIP_ST_BAD_VALUES,
					                       "filePath names an EF, not a DF");
				cur_df = d;
				cur_file = -1;
				break;
			}
			case FileManagement__Member_PR_createFCP: {
				struct eum_saip_fspec s;
				long st = eum_saip_build_spec(fs, cur_df, NULL, &m->choice.createFCP, 1, &s);
				int idx;
				if (st)
					return eum_saip_refuse(r, st, "createFCP under DF %04X: %s",
					                       fs->files[cur_df].fid, s.why ? s.why : "invalid");
				idx = eum_saip_create_file(r, cur_df, &s);
				if (idx < 0)
					return idx;
				cur_file = idx;
				pos = 0;
				/* TS 102 222 §6.3: a created DF becomes the current DF */
				if (EUM_FT_IS_DF(fs->files[idx].type))
					cur_df = idx;
				break;
			}
			case FileManagement__Member_PR_fillFileOffset:
			case FileManagement__Member_PR_fillFileContent:
				if (cur_file < 0)
					return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
					                       "fillFileOffset/fillFileContent before any createFCP");
				rc = m->present == FileManagement__Member_PR_fillFileOffset
				             ? eum_saip_fill_offset(r, cur_file, &pos, m->choice.fillFileOffset)
				             : eum_saip_fill_content(r, cur_file, &pos, &m->choice.fillFileContent);
				if (rc)
					return rc;
				break;
			default:
				return eum_saip_refuse(r, EUM_SAIP_ST_INVALID_REQUEST_FORMAT,
				                       "fileManagementCMD command of an unknown kind");
			}
		}
	}
	return 0;
}
