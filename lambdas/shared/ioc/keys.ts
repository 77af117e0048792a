/**
 * Where the IoC database and its inputs live in the geo bucket: one place, imported by the downloader
 * and (later) the es-loader. The user's own lists go where the reference reads them:
 * `IOC/TXT/[<provider>/]<file>` and `IOC/STIX2/[<provider>/]<file>`.
 */
export const IOC_PREFIX = 'IOC/';
export const IOC_DATABASE_KEY = 'IOC/ioc.siemdb';
/** `sha256sum` format: `<hex>  ioc.siemdb`. */
export const IOC_DATABASE_SHA256_KEY = 'IOC/ioc.siemdb.sha256';
/** Object metadata (`x-amz-meta-content-sha256`): the header's contentSha256, compared to skip unchanged uploads. */
export const IOC_CONTENT_SHA256_METADATA = 'content-sha256';
/** Last good download of each feed (`IOC/sources/tor`, `feodo`, `otx`): used when a download fails. */
export const IOC_SNAPSHOT_PREFIX = 'IOC/sources/';
export const IOC_CUSTOM_TXT_PREFIX = 'IOC/TXT/';
export const IOC_CUSTOM_STIX_PREFIX = 'IOC/STIX2/';
