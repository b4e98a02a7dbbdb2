// Thin strip shown on every screen in the browser demo: who you are, and a way to switch.
import { useNavigate } from 'react-router-dom';
import { useDemoAuth } from '../hooks/use-demo-auth';
import { strings } from '../lib/strings';

export function DemoBar() {
  const { enabled, identity, signOut } = useDemoAuth();
  const navigate = useNavigate();
  if (!enabled) return null;
  return (
    <div className="demo-bar" data-testid="demo-bar">
      <span className="demo-bar__who">
        {strings.demoMode}
        {identity ? ` · ${identity.name}` : ''}
      </span>
      <button
        type="button"
        className="demo-bar__switch"
        data-testid="demo-switch-user"
        onClick={() => {
          signOut();
          navigate('/', { replace: true });
        }}
      >
        {strings.switchUser}
      </button>
    </div>
  );
}
