/**
 * The picker's sources other than the catalog, loaded by ModelPicker with a dynamic import the first time one of
 * them is shown (or the link names an hf= or config= model): they bundle the Hugging Face client, the config.json
 * and GGUF readers and the name parser, which a page showing the catalog default does not need.
 */
export { HubSource } from './HubSource';
export { ConfigSource } from './ConfigSource';
export { GgufSource } from './GgufSource';
export { hubBaseOverride } from '../../../sources/hf-hub';
