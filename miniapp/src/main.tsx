// Entry: styles, the app config for the browser (the Zalo host injects its own), and render.
import 'zmp-ui/zaui.css';
import './styles/tokens.css';
import './styles/app.css';
import { createRoot } from 'react-dom/client';
import appConfig from '../app-config.json';
import CongDoanApp from './app';

if (!window.APP_CONFIG) window.APP_CONFIG = { ...appConfig, pages: [] };

const container = document.getElementById('app');
if (container) createRoot(container).render(<CongDoanApp />);
