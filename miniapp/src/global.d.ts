// Globals: zmp-ui already declares window.APP_ID / window.APP_CONFIG (set by the Zalo host).
export {};

declare global {
  interface Window {
    /** zmp-ui's router basename outside production builds. */
    BASE_PATH?: string;
  }
}
