// Catches render errors so one broken screen never leaves a blank page.
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  /** When this changes (e.g. the route), the boundary resets. */
  resetKey?: string;
}

interface State {
  error: Error | null;
}

export class ErrorBoundary extends Component<Props, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error('UI error', error, info.componentStack);
  }

  componentDidUpdate(prev: Props) {
    if (this.state.error && prev.resetKey !== this.props.resetKey) this.setState({ error: null });
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="state state--error crash" role="alert" data-testid="error-boundary">
        <p className="state__title">Đã có lỗi xảy ra</p>
        <p>Ứng dụng gặp sự cố khi hiển thị trang này. Vui lòng tải lại.</p>
        <div className="crash__actions">
          <button type="button" className="btn btn--primary" onClick={() => this.setState({ error: null })} data-testid="error-retry">
            Thử lại
          </button>
          <button type="button" className="btn btn--secondary" onClick={() => window.location.reload()} data-testid="error-reload">
            Tải lại ứng dụng
          </button>
        </div>
      </div>
    );
  }
}
