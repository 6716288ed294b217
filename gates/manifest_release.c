/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Payload schema, first half: what the release is and how it boots
 * (/identity, /provenance, /boot). Each node has a handler that checks its
 * properties against a table and fills its part of struct pg_manifest.
 */
#include "gates/manifest_internal.h"

/* Index + 1 is the enum value. */
static const char *const pg_build_type_names[] = { "production", "development", "engineering",
                                                   NULL };
/* Index is the enum value. */
static const char *const pg_expectation_names[] = { "any", "on", "off", NULL };

const char *pg_build_type_name(uint32_t type)
{
        return type >= 1 && type <= 3 ? pg_build_type_names[type - 1] : NULL;
}

/* ---- /identity -------------------------------------------------------- */

enum { ID_PRODUCT, ID_VERSION, ID_BUILD_ID, ID_SVN, ID_MIN_SVN, ID_BUILD_TYPE, ID_CHANNEL,
       ID_COUNT };

static const struct pg_prop_spec pg_identity_props[ID_COUNT] = {
        [ID_PRODUCT] = { "product", PG_PROP_STRING, PG_PROP_REQUIRED, 128, 1 },
        [ID_VERSION] = { "version", PG_PROP_STRING, PG_PROP_REQUIRED, 64, 1 },
        [ID_BUILD_ID] = { "build-id", PG_PROP_STRING, PG_PROP_REQUIRED, 128, 1 },
        [ID_SVN] = { "security-version", PG_PROP_U32, PG_PROP_REQUIRED, 0, 1 },
        [ID_MIN_SVN] = { "minimum-security-version", PG_PROP_U32, PG_PROP_REQUIRED, 0, 1 },
        [ID_BUILD_TYPE] = { "build-type", PG_PROP_STRING, PG_PROP_REQUIRED, 16, 1 },
        [ID_CHANNEL] = { "channel", PG_PROP_STRING, PG_PROP_REQUIRED, 64, 1 },
};

void pg_parse_identity(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        struct pg_prop_value v[ID_COUNT];
        int type;

        pg_schema_props(st, node, pg_identity_props, ID_COUNT, v);
        m->identity.product = pg_schema_str(&v[ID_PRODUCT]);
        m->identity.version = pg_schema_str(&v[ID_VERSION]);
        m->identity.build_id = pg_schema_str(&v[ID_BUILD_ID]);
        m->identity.channel = pg_schema_str(&v[ID_CHANNEL]);
        if (v[ID_SVN].present)
                m->identity.security_version = pg_schema_u32(&v[ID_SVN]);
        if (v[ID_MIN_SVN].present)
                m->identity.minimum_security_version = pg_schema_u32(&v[ID_MIN_SVN]);
        if (v[ID_SVN].present && v[ID_MIN_SVN].present &&
            m->identity.minimum_security_version > m->identity.security_version)
                pg_schema_report(st, PG_ERR_MANIFEST_MIN_SVN_ABOVE_SVN,
                                 "minimum-security-version");
        if (v[ID_BUILD_TYPE].present) {
                type = pg_schema_enum(&v[ID_BUILD_TYPE], pg_build_type_names);
                if (type < 0)
                        pg_schema_report(st, PG_ERR_MANIFEST_BAD_ENUM_VALUE, "build-type");
                else
                        m->identity.build_type = (uint32_t)type + 1;
        }
        pg_schema_no_children(st, node);
}

/* ---- /provenance ------------------------------------------------------ */

enum { PROV_BUILDER, PROV_REPOSITORY, PROV_REVISION, PROV_TIME, PROV_COUNT };

static const struct pg_prop_spec pg_provenance_props[PROV_COUNT] = {
        [PROV_BUILDER] = { "builder-id", PG_PROP_STRING, PG_PROP_REQUIRED, 256, 1 },
        [PROV_REPOSITORY] = { "source-repository", PG_PROP_STRING, PG_PROP_REQUIRED, 256, 1 },
        [PROV_REVISION] = { "source-revision", PG_PROP_STRING, PG_PROP_REQUIRED, 128, 1 },
        [PROV_TIME] = { "build-time", PG_PROP_U64, PG_PROP_REQUIRED, 0, 1 },
};

static const struct pg_prop_spec pg_sha256_prop[] = {
        { "sha256", PG_PROP_SHA256, PG_PROP_REQUIRED, 0, 1 },
};

static void pg_parse_artifacts(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        struct pg_prop_value v[1];
        int child;

        pg_schema_props(st, node, NULL, 0, NULL);
        for (child = pg_fdt_first_subnode(st->fdt, node); child >= 0;
             child = pg_fdt_next_subnode(st->fdt, child)) {
                const char *name = pg_fdt_node_name(st->fdt, child);
                struct pg_manifest_artifact *a;

                if (m->provenance.artifact_count == PG_MANIFEST_MAX_ARTIFACTS) {
                        pg_schema_report(st, PG_ERR_MANIFEST_TOO_MANY_ENTRIES, name);
                        return;
                }
                pg_schema_entry_name(st, name);
                a = &m->provenance.artifacts[m->provenance.artifact_count++];
                a->name = name;
                pg_schema_push(st, name);
                if (pg_schema_props(st, child, pg_sha256_prop, 1, v))
                        memcpy(a->sha256, v[0].data, 32);
                pg_schema_no_children(st, child);
                pg_schema_pop(st);
        }
        if (m->provenance.artifact_count == 0)
                pg_schema_report(st, PG_ERR_MANIFEST_MISSING_NODE, NULL);
}

static const struct pg_node_spec pg_provenance_children[] = {
        { "artifacts", true, pg_parse_artifacts },
};

void pg_parse_provenance(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        struct pg_prop_value v[PROV_COUNT];

        m->provenance.present = true;
        pg_schema_props(st, node, pg_provenance_props, PROV_COUNT, v);
        m->provenance.builder_id = pg_schema_str(&v[PROV_BUILDER]);
        m->provenance.source_repository = pg_schema_str(&v[PROV_REPOSITORY]);
        m->provenance.source_revision = pg_schema_str(&v[PROV_REVISION]);
        if (v[PROV_TIME].present)
                m->provenance.build_time = pg_load_be64(v[PROV_TIME].data);
        pg_schema_children(st, node, pg_provenance_children,
                           PG_ARRAY_SIZE(pg_provenance_children), m);
}

/* ---- /boot ------------------------------------------------------------ */

enum { STAGE_PATH, STAGE_SHA256, STAGE_CMDLINE, STAGE_INITRD, STAGE_INITRD_SHA256, STAGE_COUNT };

static const struct pg_prop_spec pg_stage_props[STAGE_COUNT] = {
        [STAGE_PATH] = { "path", PG_PROP_STRING, PG_PROP_REQUIRED, 255, 1 },
        [STAGE_SHA256] = { "sha256", PG_PROP_SHA256, PG_PROP_REQUIRED, 0, 1 },
        [STAGE_CMDLINE] = { "cmdline", PG_PROP_STRING, PG_PROP_EMPTY_OK, 2048, 1 },
        [STAGE_INITRD] = { "initrd", PG_PROP_STRING, 0, 255, 1 },
        [STAGE_INITRD_SHA256] = { "initrd-sha256", PG_PROP_SHA256, 0, 0, 1 },
};

/* An ESP path is absolute and uses backslashes only: "\EFI\Linux\a.efi". */
static bool pg_esp_path_valid(const char *path)
{
        if (path[0] != '\\')
                return false;
        return memchr(path, '/', strlen(path)) == NULL;
}

/* An initrd is pinned by its path and digest together: one without the other is an error. */
static void pg_parse_stage_initrd(struct pg_schema *st, const struct pg_prop_value *v,
                                  struct pg_manifest_stage *stage)
{
        bool has_path = v[STAGE_INITRD].present;
        bool has_digest = v[STAGE_INITRD_SHA256].present;

        if (has_path && !has_digest) {
                pg_schema_report(st, PG_ERR_MANIFEST_MISSING_PROPERTY, "initrd-sha256");
                return;
        }
        if (has_digest && !has_path) {
                pg_schema_report(st, PG_ERR_MANIFEST_MISSING_PROPERTY, "initrd");
                return;
        }
        if (!has_path)
                return;
        stage->initrd = pg_schema_str(&v[STAGE_INITRD]);
        if (!pg_esp_path_valid(stage->initrd)) {
                pg_schema_report(st, PG_ERR_MANIFEST_BAD_STRING, "initrd");
                return;
        }
        memcpy(stage->initrd_sha256, v[STAGE_INITRD_SHA256].data, 32);
        stage->has_initrd = true;
}

static void pg_parse_stage(struct pg_schema *st, int node, struct pg_manifest_stage *stage)
{
        struct pg_prop_value v[STAGE_COUNT];

        stage->present = true;
        pg_schema_props(st, node, pg_stage_props, STAGE_COUNT, v);
        if (v[STAGE_PATH].present) {
                stage->path = pg_schema_str(&v[STAGE_PATH]);
                if (!pg_esp_path_valid(stage->path))
                        pg_schema_report(st, PG_ERR_MANIFEST_BAD_STRING, "path");
        }
        if (v[STAGE_SHA256].present)
                memcpy(stage->sha256, v[STAGE_SHA256].data, 32);
        stage->cmdline = v[STAGE_CMDLINE].present ? pg_schema_str(&v[STAGE_CMDLINE]) : "";
        pg_parse_stage_initrd(st, v, stage);
        pg_schema_no_children(st, node);
}

static void pg_parse_next_stage(struct pg_schema *st, int node, void *arg)
{
        pg_parse_stage(st, node, &((struct pg_manifest *)arg)->boot.next);
}

static void pg_parse_recovery_stage(struct pg_schema *st, int node, void *arg)
{
        pg_parse_stage(st, node, &((struct pg_manifest *)arg)->boot.recovery);
}

enum { EXPECT_SECURE_BOOT, EXPECT_SETUP_MODE, EXPECT_COUNT };

static const struct pg_prop_spec pg_expectation_props[EXPECT_COUNT] = {
        [EXPECT_SECURE_BOOT] = { "secure-boot", PG_PROP_STRING, PG_PROP_REQUIRED, 8, 1 },
        [EXPECT_SETUP_MODE] = { "setup-mode", PG_PROP_STRING, PG_PROP_REQUIRED, 8, 1 },
};

static void pg_parse_expectation(struct pg_schema *st, const struct pg_prop_value *v,
                                 const char *name, uint8_t *out)
{
        int value;

        if (!v->present)
                return;
        value = pg_schema_enum(v, pg_expectation_names);
        if (value < 0)
                pg_schema_report(st, PG_ERR_MANIFEST_BAD_ENUM_VALUE, name);
        else
                *out = (uint8_t)value;
}

static void pg_parse_expectations(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        struct pg_prop_value v[EXPECT_COUNT];

        pg_schema_props(st, node, pg_expectation_props, EXPECT_COUNT, v);
        pg_parse_expectation(st, &v[EXPECT_SECURE_BOOT], "secure-boot", &m->boot.secure_boot);
        pg_parse_expectation(st, &v[EXPECT_SETUP_MODE], "setup-mode", &m->boot.setup_mode);
        pg_schema_no_children(st, node);
}

enum { PCR_SHA256, PCR_EVENTS, PCR_PROP_COUNT };

static const struct pg_prop_spec pg_pcr_props[PCR_PROP_COUNT] = {
        [PCR_SHA256] = { "sha256", PG_PROP_SHA256, 0, 0, 1 },
        [PCR_EVENTS] = { "event-digests", PG_PROP_SHA256_LIST, 0, 0,
                         PG_MANIFEST_MAX_EVENT_DIGESTS },
};

/* Called only for the node names pcr0..pcr7 listed in pg_pcrs_children. */
static void pg_parse_pcr(struct pg_schema *st, int node, void *arg)
{
        struct pg_manifest *m = arg;
        const char *name = pg_fdt_node_name(st->fdt, node);
        unsigned index = (unsigned)(name[3] - '0');
        struct pg_manifest_pcr *pcr = &m->boot.pcrs[index];
        struct pg_prop_value v[PCR_PROP_COUNT];

        if (pg_schema_props(st, node, pg_pcr_props, PCR_PROP_COUNT, v) &&
            !v[PCR_SHA256].present && !v[PCR_EVENTS].present)
                pg_schema_report(st, PG_ERR_MANIFEST_MISSING_PROPERTY, "sha256");
        if (v[PCR_SHA256].present) {
                pcr->has_value = true;
                memcpy(pcr->value, v[PCR_SHA256].data, 32);
        }
        if (v[PCR_EVENTS].present) {
                pcr->event_digest_count = v[PCR_EVENTS].count;
                pcr->event_digests = v[PCR_EVENTS].data;
        }
        m->boot.pcr_mask |= (uint8_t)(1u << index);
        pg_schema_no_children(st, node);
}

static const struct pg_node_spec pg_pcrs_children[PG_MANIFEST_PCR_COUNT] = {
        { "pcr0", false, pg_parse_pcr }, { "pcr1", false, pg_parse_pcr },
        { "pcr2", false, pg_parse_pcr }, { "pcr3", false, pg_parse_pcr },
        { "pcr4", false, pg_parse_pcr }, { "pcr5", false, pg_parse_pcr },
        { "pcr6", false, pg_parse_pcr }, { "pcr7", false, pg_parse_pcr },
};

static void pg_parse_pcrs(struct pg_schema *st, int node, void *arg)
{
        pg_schema_props(st, node, NULL, 0, NULL);
        pg_schema_children(st, node, pg_pcrs_children, PG_ARRAY_SIZE(pg_pcrs_children), arg);
}

static const struct pg_node_spec pg_boot_children[] = {
        { "next-stage", true, pg_parse_next_stage },
        { "recovery-stage", false, pg_parse_recovery_stage },
        { "expectations", true, pg_parse_expectations },
        { "pcrs", false, pg_parse_pcrs },
};

void pg_parse_boot(struct pg_schema *st, int node, void *arg)
{
        pg_schema_props(st, node, NULL, 0, NULL);
        pg_schema_children(st, node, pg_boot_children, PG_ARRAY_SIZE(pg_boot_children), arg);
}
