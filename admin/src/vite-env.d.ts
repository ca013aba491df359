/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The Temporal Web UI the order page links to. */
  readonly VITE_TEMPORAL_UI_URL?: string;
}
